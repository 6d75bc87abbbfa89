#!/usr/bin/env node
// kubectl's plugin entry point: with this file on PATH as `kubectl-kubesnap` (npm links it so from the package's
// `bin`), `kubectl kubesnap neat` and `kubectl kubesnap diff --live` run kubesnap with the arguments after
// `kubesnap`; kubectl passes its environment ($KUBECONFIG) along. Node resolves the link, so this runs from the package.
await import('./kubesnap.js');
