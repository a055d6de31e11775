import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LAKEMIRROR_CONFIG } from '@lakemirror/app-runtime';
import type { LakemirrorConfig } from '@lakemirror/config';
import { DataSource } from 'typeorm';
import { assertSchemaMigrated, connectDataSource, dataSourceOptions } from './data-source.factory';
import { AuditLogRepository } from './repositories/audit-log.repository';
import { BranchStateRepository } from './repositories/branch-state.repository';
import { CommitChunkRepository } from './repositories/commit-chunk.repository';
import { DatabaseSession } from './repositories/database-session';
import { GroupMemberRepository } from './repositories/group-member.repository';
import { LagSampleRepository } from './repositories/lag-sample.repository';
import { MirrorAuditRepository } from './repositories/mirror-audit.repository';
import { MirrorCommitRepository } from './repositories/mirror-commit.repository';
import { MirrorHookTokenRepository } from './repositories/mirror-hook-token.repository';
import { MirrorPromotionRepository } from './repositories/mirror-promotion.repository';
import { MirrorTagRepository } from './repositories/mirror-tag.repository';
import { MirrorRepository } from './repositories/mirror.repository';
import { MissingObjectRepository } from './repositories/missing-object.repository';
import { ObservedHeadRepository } from './repositories/observed-head.repository';
import { PolicyAttachmentRepository } from './repositories/policy-attachment.repository';
import { PolicyRepository } from './repositories/policy.repository';
import { StatusQueriesRepository } from './repositories/status-queries.repository';
import { VerifiedRangeRepository } from './repositories/verified-range.repository';

export const REPOSITORIES = [
  DatabaseSession,
  MirrorRepository,
  BranchStateRepository,
  ObservedHeadRepository,
  MirrorCommitRepository,
  MirrorAuditRepository,
  CommitChunkRepository,
  VerifiedRangeRepository,
  MissingObjectRepository,
  PolicyRepository,
  PolicyAttachmentRepository,
  GroupMemberRepository,
  AuditLogRepository,
  LagSampleRepository,
  MirrorHookTokenRepository,
  MirrorPromotionRepository,
  MirrorTagRepository,
  StatusQueriesRepository,
];

/**
 * The PostgreSQL data source (TypeOrmModule) and one repository per table, for every app. The
 * app refuses to start on an unmigrated schema; the pool closes with the app.
 */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [LAKEMIRROR_CONFIG],
          useFactory: (config: LakemirrorConfig) => ({
            ...dataSourceOptions(config.databaseUrl, { schema: config.databaseSchema, tls: config.databaseTls }),
            retryAttempts: 1,
            toRetry: () => false,
          }),
          dataSourceFactory: async (options) => {
            const db = await connectDataSource(new DataSource(options as NonNullable<typeof options>));
            try {
              await assertSchemaMigrated(db);
            } catch (error) {
              await db.destroy();
              throw error;
            }
            return db;
          },
        }),
      ],
      providers: REPOSITORIES,
      exports: REPOSITORIES,
    };
  }
}
