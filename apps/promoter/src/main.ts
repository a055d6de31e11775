import { runApp } from '@lakemirror/app-runtime';
import { PipelineModule, readPipelineSettings } from '@lakemirror/pipeline';

void runApp({
  name: 'promoter',
  settings: readPipelineSettings,
  imports: (_config, settings) => [PipelineModule.forRole('promoter', settings)],
  portVariable: 'LAKEMIRROR_PROMOTER_PORT',
  defaultPort: 8083,
});
