import { runApp } from '@lakemirror/app-runtime';

void runApp({
  name: 'api',
  imports: () => [],
  portVariable: 'LAKEMIRROR_API_PORT',
  defaultPort: 8080,
});
