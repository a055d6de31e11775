/** Where lakeFS reads actions from, and the file `lakemirror hooks --install` commits there. */
export const ACTIONS_FILE_PATH = '_lakefs_actions/lakemirror.yaml';

/**
 * Every lakeFS event after which a branch or tag of the source may have changed. The issue's six,
 * and revert and cherry-pick, which also add a commit to a branch.
 */
export const HOOK_EVENTS = [
  'post-commit',
  'post-merge',
  'post-create-branch',
  'post-delete-branch',
  'post-create-tag',
  'post-delete-tag',
  'post-revert',
  'post-cherry-pick',
] as const;

/** One mirror's webhook: where lakeFS posts, and the bearer token (or a `{{ ENV.NAME }}` reference to it). */
export interface MirrorWebhook {
  mirrorId: string;
  url: string;
  token: string;
}

// A JSON string is a valid YAML double-quoted scalar: every value is written that way, so no URL,
// token or name can change the file's structure.
const quote = (value: string) => JSON.stringify(value);

/** The lakeFS actions file (YAML) that asks lakemirror to scan each mirror after every event of HOOK_EVENTS. */
export function renderActionsFile(sourceRepository: string, webhooks: MirrorWebhook[]): string {
  const lines = [
    '# Written by `lakemirror hooks`: after every change of a branch or tag, lakeFS asks lakemirror to',
    '# scan the mirrors below, so that they follow within seconds instead of at the next poll.',
    '# Each token allows nothing but asking for a scan of its mirror; `lakemirror hooks` issues new ones.',
    'name: lakemirror',
    `description: ${quote(`Scan lakemirror's mirrors of ${sourceRepository} after each change`)}`,
    'on:',
    ...HOOK_EVENTS.map((event) => `  ${event}:`),
    'hooks:',
  ];
  for (const webhook of webhooks) {
    lines.push(
      `  - id: ${quote(`lakemirror_${webhook.mirrorId}`)}`,
      '    type: webhook',
      `    description: ${quote(`scan mirror ${webhook.mirrorId}`)}`,
      // Run even when another mirror's webhook failed (lakeFS skips a hook after a failure by default).
      '    if: "true"',
      '    properties:',
      `      url: ${quote(webhook.url)}`,
      '      timeout: 10s',
      '      headers:',
      `        Authorization: ${quote(`Bearer ${webhook.token}`)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
