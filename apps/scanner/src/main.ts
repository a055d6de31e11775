import { runApp } from '@lakemirror/app-runtime';

void runApp({
  name: 'scanner',
  imports: () => [],
  portVariable: 'LAKEMIRROR_SCANNER_PORT',
  defaultPort: 8081,
});
