import { runApp } from '@lakemirror/app-runtime';
import { PipelineModule, readPipelineSettings } from '@lakemirror/pipeline';

void runApp({
  name: 'scanner',
  settings: readPipelineSettings,
  imports: (_config, settings) => [PipelineModule.forRole('scanner', settings)],
  portVariable: 'LAKEMIRROR_SCANNER_PORT',
  defaultPort: 8081,
});
