import { mirrorPath } from '../api-client';
import { UsageError } from '../cli-args';
import { CliCommand } from './command';
import { MIRROR_FIELD_OPTIONS, MIRROR_FIELD_USAGE, mirrorFields } from './mirror-fields';
import { MirrorView, renderMirror, renderMirrorTable } from './mirror-view';

export const listCommand: CliCommand = {
  name: 'list',
  usage: '<source-repository> [--json]',
  summary: "list the repository's mirrors",
  async run(context) {
    const [repository] = context.positionals(1);
    const answer = await context.api().request<{ results: MirrorView[] }>('GET', mirrorPath(repository));
    context.output(answer, (a) => renderMirrorTable(a.results));
  },
};

export const showCommand: CliCommand = {
  name: 'show',
  usage: '<source-repository> <mirror> [--json]',
  summary: "one mirror's settings",
  async run(context) {
    const [repository, mirror] = context.positionals(2);
    context.output(await context.api().request<MirrorView>('GET', mirrorPath(repository, mirror)), renderMirror);
  },
};

export const createCommand: CliCommand = {
  name: 'create',
  usage: `<source-repository> <mirror> --region R --storage-namespace s3://bucket/prefix ${MIRROR_FIELD_USAGE} [--json]`,
  summary: 'create a read-only mirror of the repository in a region',
  valuedOptions: ['region', 'storage-namespace', ...MIRROR_FIELD_OPTIONS],
  async run(context) {
    const [repository, mirror] = context.positionals(2);
    const region = context.option('region');
    const namespace = context.option('storage-namespace');
    if (!region || !namespace) throw new UsageError('create needs --region and --storage-namespace');
    const body = { name: mirror, region, storage_namespace: namespace, ...mirrorFields(context) };
    const created = await context.api().request<MirrorView>('POST', mirrorPath(repository), body);
    context.output(created, (m) => `mirror ${m.id} of ${m.source_repository} in ${m.region}: ${m.state}`);
  },
};

export const updateCommand: CliCommand = {
  name: 'update',
  usage: `<source-repository> <mirror> ${MIRROR_FIELD_USAGE} [--delete-unfollowed] [--json]`,
  summary: "change a mirror's branch filter, tag mirroring or staleness limit",
  valuedOptions: MIRROR_FIELD_OPTIONS,
  async run(context) {
    const [repository, mirror] = context.positionals(2);
    const body = mirrorFields(context);
    if (context.flag('delete-unfollowed')) body.unfollowed_branches = 'delete';
    if (Object.keys(body).length === 0) throw new UsageError('update needs at least one setting to change');
    context.output(await context.api().request<MirrorView>('PATCH', mirrorPath(repository, mirror), body), renderMirror);
  },
};

export const deleteCommand: CliCommand = {
  name: 'delete',
  usage: '<source-repository> <mirror> [--yes] [--json]',
  summary: 'stop mirroring and delete the mirror repository (asks first)',
  async run(context) {
    const [repository, mirror] = context.positionals(2);
    if (!(await context.confirm(`delete mirror ${mirror} of ${repository} and its repository?`))) throw new UsageError('not confirmed: nothing deleted');
    await context.api().request('DELETE', mirrorPath(repository, mirror));
    context.output({ deleted: mirror }, () => `mirror ${mirror} deleted`);
  },
};
