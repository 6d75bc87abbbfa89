import { Command } from 'commander';

/** Change lines shown per commit of the demo's history; the rest are counted. */
const SHOWN_CHANGES = 4;

export function registerDemoCommand(program: Command): void {
  program.addCommand(
    new Command('demo')
      .description(
        'see kubesnap work with no cluster: a simulated shop, a scripted day of changes, its history in ./kubesnap-demo',
      )
      .option('--dir <dir>', 'where to write the demo repository', 'kubesnap-demo')
      .action(async (options: { dir: string }) => {
        const { runDemo } = await import('../../lib/demo/index.ts');
        const { renderText, diffRevisions } = await import('../../lib/diff/index.ts');
        const { SnapshotRepository } = await import('../../lib/store/index.ts');
        const out = (line = '') => process.stdout.write(line + '\n');
        out('Starting a simulated Kubernetes API server with a small shop (namespaces shop and payments) ...');
        const result = await runDemo({
          dir: options.dir,
          onStep: (step) => out(`  ${step.commit ? step.commit.slice(0, 7) : '-------'}  ${step.title}`),
        });
        const repository = await SnapshotRepository.open(result.repositoryDir, { create: false });
        out();
        out('History (newest first):');
        for (const entry of await repository.log({ limit: 20 })) {
          const [subject, ...body] = entry.message.trim().split('\n');
          out(`  ${entry.commit.slice(0, 7)} ${subject}`);
          const changes = body.filter((l) => /^(created|updated|deleted) /.test(l));
          for (const line of changes.slice(0, SHOWN_CHANGES)) out(`      ${line}`);
          if (changes.length > SHOWN_CHANGES) out(`      … ${changes.length - SHOWN_CHANGES} more`);
        }
        const scaled = result.steps.find((step) => step.commit && step.title.includes('new storefront image'));
        if (scaled?.commit) {
          out();
          out(`The diff of one change ("${scaled.title}"):`);
          const changeSet = await diffRevisions({
            repository,
            from: `${scaled.commit.slice(0, 7)}~1`,
            to: scaled.commit.slice(0, 7),
          });
          out(renderText(changeSet, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }).trimEnd());
        }
        out();
        out(`The history is a real Git repository: ${result.repositoryDir}`);
        out('Try next:');
        out(`  git -C ${options.dir} log --stat`);
        out(`  npx kubesnap --repo ${options.dir} log deploy/web -n shop`);
        out(`  npx kubesnap --repo ${options.dir} diff HEAD~3 HEAD --format markdown`);
        out(
          `  npx kubesnap sim --seed templates/demo --write-kubeconfig /tmp/kubesnap-sim.kubeconfig   # a cluster to point snapshot and watch at`,
        );
      }),
  );
}
