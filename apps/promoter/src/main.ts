import { runApp } from '@lakemirror/app-runtime';

void runApp({
  name: 'promoter',
  imports: () => [],
  portVariable: 'LAKEMIRROR_PROMOTER_PORT',
  defaultPort: 8083,
});
