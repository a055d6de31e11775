import { Permission, arns } from '@lakemirror/policies';

/** What reading a mirror (its settings, status, freshness) takes: listing repositories and reading its source, as the reference asks. */
export function readMirrorPermissions(sourceRepository: string): Permission[] {
  return [
    { action: 'fs:ListRepositories', resource: '*' },
    { action: 'fs:ReadRepository', resource: arns.repository(sourceRepository) },
  ];
}

/** What changing what a mirror will hold takes (retry, pause, update, hook tokens): reading it and mirroring its source, as creating it does. */
export function controlMirrorPermissions(sourceRepository: string): Permission[] {
  return [...readMirrorPermissions(sourceRepository), { action: 'fs:MirrorRepository', resource: arns.repository(sourceRepository) }];
}
