import { DatabaseTls, redactUrl, redactUrlsIn } from '@lakemirror/config';
import { DataSource, DataSourceOptions } from 'typeorm';
import { databaseTlsOf, postgresTlsOptions, sslmodeOf, withoutTlsParameters } from './database-tls';
import { AuditRecordEntity } from './entities/audit-record.entity';
import { BranchStateEntity } from './entities/branch-state.entity';
import { CommitChunkEntity } from './entities/commit-chunk.entity';
import { GroupMemberEntity } from './entities/group-member.entity';
import { LagSampleEntity } from './entities/lag-sample.entity';
import { MirrorAuditEntity } from './entities/mirror-audit.entity';
import { MirrorCommitEntity } from './entities/mirror-commit.entity';
import { MirrorHookTokenEntity } from './entities/mirror-hook-token.entity';
import { MirrorPromotionEntity } from './entities/mirror-promotion.entity';
import { MirrorTagEntity } from './entities/mirror-tag.entity';
import { MirrorEntity } from './entities/mirror.entity';
import { MissingObjectEntity } from './entities/missing-object.entity';
import { ObservedHeadEntity } from './entities/observed-head.entity';
import { PolicyAttachmentEntity } from './entities/policy-attachment.entity';
import { PolicyEntity } from './entities/policy.entity';
import { VerifiedRangeEntity } from './entities/verified-range.entity';
import { InitialSchema1795500000000 } from './migrations/1795500000000-initial-schema';
import { PipelineState1795600000000 } from './migrations/1795600000000-pipeline-state';
import { ChunkBaseRanges1795700000000 } from './migrations/1795700000000-chunk-base-ranges';
import { CommitFailures1795810000000 } from './migrations/1795810000000-commit-failures';
import { MirrorTags1795900000100 } from './migrations/1795900000100-mirror-tags';
import { BranchFilters1795900000200 } from './migrations/1795900000200-branch-filters';
import { MirrorPauseAndMaxLag1795900000300 } from './migrations/1795900000300-mirror-pause-and-max-lag';
import { MirrorHookTokens1795900000400 } from './migrations/1795900000400-mirror-hook-tokens';
import { MirrorPromotions1795900000500 } from './migrations/1795900000500-mirror-promotions';
import { MirrorAudits1795900000600 } from './migrations/1795900000600-mirror-audits';
import { LagSamples1795900000700 } from './migrations/1795900000700-lag-samples';
import { MissingObjectsByKey1795900000800 } from './migrations/1795900000800-missing-objects-by-key';

export const ENTITIES = [
  MirrorEntity,
  BranchStateEntity,
  ObservedHeadEntity,
  MirrorCommitEntity,
  CommitChunkEntity,
  VerifiedRangeEntity,
  MissingObjectEntity,
  PolicyEntity,
  PolicyAttachmentEntity,
  GroupMemberEntity,
  AuditRecordEntity,
  LagSampleEntity,
  MirrorHookTokenEntity,
  MirrorPromotionEntity,
  MirrorTagEntity,
  MirrorAuditEntity,
];
export const MIGRATIONS = [
  InitialSchema1795500000000,
  PipelineState1795600000000,
  ChunkBaseRanges1795700000000,
  CommitFailures1795810000000,
  MirrorTags1795900000100,
  BranchFilters1795900000200,
  MirrorPauseAndMaxLag1795900000300,
  MirrorHookTokens1795900000400,
  MirrorPromotions1795900000500,
  MirrorAudits1795900000600,
  LagSamples1795900000700,
  MissingObjectsByKey1795900000800,
];

export interface DataSourceSettings {
  /** PostgreSQL schema of every table, the migrations table included (tests). */
  schema?: string;
  /** TLS (LakemirrorConfig.databaseTls); by default what the URL's sslmode says, with no files. */
  tls?: DatabaseTls;
}

/**
 * lakemirror's PostgreSQL settings. Never synchronizes: the schema changes only through
 * migrations, run explicitly (npm run db:migrate). TLS follows lakemirror's sslmode semantics
 * (README "TLS"), set explicitly whatever node-postgres would read from the URL.
 */
export function dataSourceOptions(url: string, settings: DataSourceSettings = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url: withoutTlsParameters(url),
    ssl: postgresTlsOptions(settings.tls ?? databaseTlsOf(url)),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    extra: settings.schema ? { options: `-c search_path=${settings.schema}` } : undefined,
  };
}

/** A data source for scripts and tests outside Nest (the apps get theirs from PersistenceModule). */
export function createDataSource(url: string, settings: DataSourceSettings = {}): DataSource {
  return new DataSource(dataSourceOptions(url, settings));
}

export class DatabaseUnreachableError extends Error {
  readonly code = 'DATABASE_UNREACHABLE';

  constructor(
    readonly address: string,
    reason: string,
  ) {
    super(`could not connect to PostgreSQL at ${address}: ${reason}`);
    this.name = 'DatabaseUnreachableError';
  }
}

/** Connects `dataSource`; a failure names the server (password redacted) and the reason, in one line. */
export async function connectDataSource(dataSource: DataSource): Promise<DataSource> {
  try {
    return await dataSource.initialize();
  } catch (error) {
    const { url, ssl } = dataSource.options as { url?: string; ssl?: unknown };
    const address = `${redactUrl(url ?? '(no URL)')} (sslmode=${sslmodeOf(ssl)})`;
    throw new DatabaseUnreachableError(address, redactUrlsIn(error instanceof Error ? error.message : String(error)));
  }
}

export class SchemaNotMigratedError extends Error {
  readonly code = 'SCHEMA_NOT_MIGRATED';

  constructor(readonly pending: string[]) {
    super(`the database schema is not up to date (pending migrations: ${pending.join(', ')}); run: npm run db:migrate`);
    this.name = 'SchemaNotMigratedError';
  }
}

/** Refuses to work on a schema that lacks migrations this code needs. */
export async function assertSchemaMigrated(dataSource: DataSource): Promise<void> {
  const applied = new Set<string>();
  const [{ present }] = await dataSource.query<{ present: boolean }[]>(`SELECT to_regclass('migrations') IS NOT NULL AS present`);
  if (present) for (const row of await dataSource.query<{ name: string }[]>(`SELECT name FROM migrations`)) applied.add(row.name);
  const pending = MIGRATIONS.map((m) => m.name).filter((name) => !applied.has(name));
  if (pending.length > 0) throw new SchemaNotMigratedError(pending);
}
