import { runApp } from '@lakemirror/app-runtime';

void runApp({
  name: 'verifier',
  imports: () => [],
  portVariable: 'LAKEMIRROR_VERIFIER_PORT',
  defaultPort: 8082,
});
