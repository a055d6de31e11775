import { UsageError } from '../cli-args';
import { CommandContext } from './command';

/** Options that set a mirror's optional settings, shared by create and update. */
export const MIRROR_FIELD_OPTIONS = ['include', 'exclude', 'max-lag-seconds'];
export const MIRROR_FIELD_USAGE = '[--include GLOB,...] [--exclude GLOB,...] [--no-tags | --tags] [--max-lag-seconds N]';

/** The request fields the options ask for; only what was given, so the API keeps the rest. */
export function mirrorFields(context: CommandContext): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const include = context.option('include');
  const exclude = context.option('exclude');
  if (include !== undefined || exclude !== undefined) {
    fields.branches = {
      ...(include !== undefined && { include: splitList(include) }),
      ...(exclude !== undefined && { exclude: splitList(exclude) }),
    };
  }
  if (context.flag('no-tags') && context.flag('tags')) throw new UsageError('--tags and --no-tags contradict each other');
  if (context.flag('no-tags')) fields.mirror_tags = false;
  if (context.flag('tags')) fields.mirror_tags = true;
  const maxLag = context.option('max-lag-seconds');
  if (maxLag !== undefined) {
    if (!/^\d+$/.test(maxLag)) throw new UsageError('--max-lag-seconds must be a whole number of seconds');
    fields.max_lag_seconds = Number(maxLag);
  }
  return fields;
}

/** Splits a comma-separated list of patterns; commas inside `{a,b}` alternatives belong to their pattern. */
function splitList(value: string): string[] {
  const patterns: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of value) {
    if (char === ',' && depth === 0) {
      patterns.push(current);
      current = '';
      continue;
    }
    if (char === '{') depth++;
    if (char === '}' && depth > 0) depth--;
    current += char;
  }
  patterns.push(current);
  return patterns.map((p) => p.trim()).filter((p) => p !== '');
}
