/** HTML that is safe to put in a page as it is: built only by `html` (which escapes) or `trustedHtml`. */
export class SafeHtml {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for an HTML element's content or a quoted attribute value. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

/** What `html` interpolates: text (escaped), safe HTML (kept), lists of them (joined), nothing (dropped). */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

/**
 * A template tag whose interpolations are escaped unless they are SafeHtml: the only way the
 * status page builds markup, so that no repository, branch, key or message can inject any.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let text = strings[0];
  values.forEach((value, i) => (text += render(value) + strings[i + 1]));
  return new SafeHtml(text);
}

/** Markup the code itself wrote (never data): e.g. the page's fixed style sheet. */
export function trustedHtml(text: string): SafeHtml {
  return new SafeHtml(text);
}
