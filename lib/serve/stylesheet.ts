import { changeSetStylesheet } from '../diff/index.ts';

const pageStyle = `
nav { margin-bottom: 12px; } nav a { margin-right: 16px; font-weight: 600; }
form.filters label, form.compare label { margin-right: 10px; font-size: 13px; }
form.filters input { width: 9em; }
ol.commits { list-style: none; padding: 0; }
li.commit { border-bottom: 1px solid #d0d7de; padding: 8px 0; }
li.commit .id, pre, .path { font-family: monospace; }
li.commit time, .manager { color: #57606a; font-size: 13px; margin: 0 8px; }
.count { display: inline-block; background: #eaeef2; border-radius: 10px; padding: 0 8px; font-size: 12px; margin: 2px; }
pre.body, pre.message, pre.yaml, pre.command { background: #f6f8fa; padding: 8px; font-size: 12px; overflow-x: auto; }
figure.activity { margin: 12px 0; }
svg rect.hit { fill: transparent; } svg a.bar:hover rect.hit { fill: #eaeef2; }
.c0 { fill: #0969da; background: #0969da; } .c1 { fill: #1a7f37; background: #1a7f37; } .c2 { fill: #9a6700; background: #9a6700; }
.c3 { fill: #8250df; background: #8250df; } .c4 { fill: #cf222e; background: #cf222e; } .c5 { fill: #1b7c83; background: #1b7c83; }
.c6 { fill: #bf3989; background: #bf3989; } .c7 { fill: #953800; background: #953800; } .c8 { fill: #6e7781; background: #6e7781; }
span.legend { color: #fff; padding: 0 6px; border-radius: 4px; font-size: 12px; }
table.plan { border-collapse: collapse; } table.plan td, table.plan th { border: 1px solid #d0d7de; padding: 3px 8px; font-size: 13px; text-align: left; }
p.message { font-size: 16px; }
`;

let stylesheet: string | undefined;

/** /assets/serve.css: the diff renderer's styles and the pages' own, one file so the CSP needs no inline style. */
export function serveStylesheet(): string {
  stylesheet ??= `${changeSetStylesheet()}\n${pageStyle}`;
  return stylesheet;
}
