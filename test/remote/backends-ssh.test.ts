import { runBackendSuite } from './backend-suite.ts';

runBackendSuite('SSH');
