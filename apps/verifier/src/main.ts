import { runApp } from '@lakemirror/app-runtime';
import { PipelineModule, readPipelineSettings } from '@lakemirror/pipeline';

void runApp({
  name: 'verifier',
  settings: readPipelineSettings,
  imports: (_config, settings) => [PipelineModule.forRole('verifier', settings)],
  portVariable: 'LAKEMIRROR_VERIFIER_PORT',
  defaultPort: 8082,
});
