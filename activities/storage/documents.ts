import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where document bytes are kept: a content-addressed folder (DATA_DIR/documents/<sha256>), so the same
 * file stored twice is one file, and a record's sha256 always names its bytes. Written to a temporary
 * name and renamed, so a crash never leaves a half-written document under its final name.
 */
export function storeDocumentBytes(dataDir: string, bytes: Buffer): { sha256: string; storageUri: string; sizeBytes: number } {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const dir = join(dataDir, 'documents');
  const path = join(dir, sha256);
  if (!existsSync(path)) {
    // Owner only: documents hold project data nobody else on the machine may read.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, bytes, { mode: 0o600 });
    renameSync(temporary, path);
  }
  return { sha256, storageUri: `file:documents/${sha256}`, sizeBytes: bytes.length };
}
