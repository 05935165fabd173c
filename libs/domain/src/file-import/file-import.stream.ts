export const FILE_IMPORT_CATEGORY = 'file-import';

/** One stream per imported file: its id derives from the file's content, so the same file names the same stream. */
export const fileImportStreamName = (importId: string) => `${FILE_IMPORT_CATEGORY}-${importId}`;
