/** Nest injection token of the validated LakemirrorConfig. */
export const LAKEMIRROR_CONFIG = Symbol('LAKEMIRROR_CONFIG');
