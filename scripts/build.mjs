#!/usr/bin/env node
// `npm ci` runs this (the prepare script): bundles the CLI into dist/ so the first `npx kubesnap` is already fast.
// bin/kubesnap.js builds on its own when the sources change afterwards; see lib/runtime/build.mjs.
import { buildBundle } from '../lib/runtime/build.mjs';

const started = performance.now();
const build = await buildBundle(new URL('..', import.meta.url));
const took = Math.round(performance.now() - started);
console.log(
  build.built
    ? `kubesnap: bundled into dist/${build.id}/ in ${took} ms`
    : `kubesnap: dist/${build.id}/ is already the bundle of these sources`,
);
