import { Provider } from '@nestjs/common';
import { PIPELINE, PipelineComponents } from '@lakemirror/pipeline';

export const DATA_SOURCE = Symbol('DATA_SOURCE');

/**
 * The API's PostgreSQL pool is the pipeline's: PipelineModule opens it at start-up (refusing an
 * unmigrated schema) and closes it on shutdown; one pool and one schema check per process.
 */
export const dataSourceProvider: Provider = {
  provide: DATA_SOURCE,
  inject: [PIPELINE],
  useFactory: (pipeline: PipelineComponents) => pipeline.db,
};
