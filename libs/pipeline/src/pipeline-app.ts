import type { AppDefinition } from '@lakemirror/app-runtime';
import { PipelineModule, PipelineRole } from './pipeline.module';
import { PipelineSettings, readPipelineSettings } from './pipeline-settings';

const PORTS: Record<PipelineRole, { variable: string; port: number }> = {
  scanner: { variable: 'LAKEMIRROR_SCANNER_PORT', port: 8081 },
  verifier: { variable: 'LAKEMIRROR_VERIFIER_PORT', port: 8082 },
  promoter: { variable: 'LAKEMIRROR_PROMOTER_PORT', port: 8083 },
};

/** The app that runs one pipeline role: its settings, its workers, its health port. */
export function pipelineApp(role: PipelineRole): AppDefinition<PipelineSettings> {
  return {
    name: role,
    settings: readPipelineSettings,
    imports: (_config, settings) => [PipelineModule.forRoles([role], settings)],
    portVariable: PORTS[role].variable,
    defaultPort: PORTS[role].port,
  };
}
