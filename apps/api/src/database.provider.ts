import { Inject, Injectable, OnModuleDestroy, Provider } from '@nestjs/common';
import { LAKEMIRROR_CONFIG } from '@lakemirror/app-runtime';
import type { LakemirrorConfig } from '@lakemirror/config';
import { assertSchemaMigrated, createDataSource } from '@lakemirror/persistence';
import { DataSource } from 'typeorm';

export const DATA_SOURCE = Symbol('DATA_SOURCE');

/** The PostgreSQL connection, opened at start-up; the API refuses to start on an unmigrated schema. */
export const dataSourceProvider: Provider = {
  provide: DATA_SOURCE,
  inject: [LAKEMIRROR_CONFIG],
  useFactory: async (config: LakemirrorConfig) => {
    const dataSource = await createDataSource(config.databaseUrl, { schema: config.databaseSchema }).initialize();
    try {
      await assertSchemaMigrated(dataSource);
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
    return dataSource;
  },
};

@Injectable()
export class DataSourceCloser implements OnModuleDestroy {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async onModuleDestroy(): Promise<void> {
    await this.db.destroy();
  }
}
