/**
 * The media store the settings name. The S3 store is loaded only when asked for: the AWS SDK
 * is large, and most bots keep their clips in a folder.
 */

import { FolderMediaStore } from './folder-media-store.ts';
import type { MediaStore } from './media-store.ts';
import type { MediaStoreSettings } from './store-settings.ts';

export interface OpenedMediaStore {
  store: MediaStore;
  /** Lets go of connections; nothing to do for a folder. */
  close(): void;
}

export async function openMediaStore(settings: MediaStoreSettings): Promise<OpenedMediaStore> {
  if (settings.kind === 'folder') {
    return { store: new FolderMediaStore(settings.dir), close: () => {} };
  }
  const { S3MediaStore } = await import('./s3-media-store.ts');
  const store = new S3MediaStore(settings.location, settings.s3);
  return { store, close: () => store.close() };
}
