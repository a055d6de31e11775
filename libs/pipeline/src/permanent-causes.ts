import type { LakefsError } from '@lakemirror/lakefs-client';
import { classifyFailure } from '@lakemirror/mirroring';
import { ObjectLocation, StorageNamespace, lakefsMetadataObject, objectInNamespace } from '@lakemirror/object-store';
import type { RangeReaderError } from '@lakemirror/range-reader';
import { CommitRecordRejectedError, CorruptMetadataError, MalformedAddressError } from './pipeline.errors';

/** Which commit of which mirror a step works on. */
export interface CommitRef {
  mirrorId: string;
  commitId: string;
}

/** A metadata file the reader refused: permanent unless it is only not there yet (then undefined: retry). */
export function unreadableMetadata(error: RangeReaderError, at: CommitRef): CorruptMetadataError | undefined {
  return classifyFailure({ kind: 'metadata-unreadable', code: error.code }).permanent ? new CorruptMetadataError(at.mirrorId, at.commitId, error) : undefined;
}

/** The destination lakeFS refusing a commit record: permanent for a final 4xx, undefined (retry) for everything else. */
export function rejectedRecord(error: LakefsError, at: CommitRef): CommitRecordRejectedError | undefined {
  if (error.status === undefined) return undefined;
  return classifyFailure({ kind: 'destination-answer', status: error.status }).permanent
    ? new CommitRecordRejectedError(at.mirrorId, at.commitId, error.status, error.lakefsMessage)
    : undefined;
}

/** Where a metarange or range file of the commit lives in the mirror namespace. @throws MalformedAddressError */
export function metadataFileOf(namespace: StorageNamespace, fileId: string, at: CommitRef): ObjectLocation {
  try {
    return lakefsMetadataObject(namespace, fileId);
  } catch (error) {
    // lakefsMetadataObject throws for one thing only: an ID that is no file name.
    throw new MalformedAddressError(at.mirrorId, at.commitId, fileId, (error as Error).message);
  }
}

/** Where an object of the commit lives in the mirror namespace. @throws MalformedAddressError */
export function objectOf(namespace: StorageNamespace, relativeAddress: string, at: CommitRef): ObjectLocation {
  try {
    return objectInNamespace(namespace, relativeAddress);
  } catch (error) {
    // objectInNamespace throws for one thing only: an address that would leave the namespace.
    throw new MalformedAddressError(at.mirrorId, at.commitId, relativeAddress, (error as Error).message);
  }
}
