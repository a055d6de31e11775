/**
 * The PostgreSQL advisory lock held by whatever writes to a mirror repository (commit records,
 * branch moves and deletions) and by a pause: every writer checks the pause under it, so once
 * a pause has held it, nothing writes to the mirror until it is resumed. Its name predates
 * pausing (it was the promoter's), so processes of either version exclude each other.
 */
export const mirrorWriteLock = (mirrorId: string): string => `lakemirror-promote-${mirrorId}`;
