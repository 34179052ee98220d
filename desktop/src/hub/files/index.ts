/** Files both ways (docs/hub.md, "Files"): landing folder uploads, read-rule downloads, their RPC handlers. */
export { FileError } from "./file-error";
export { fileApi } from "./file-api";
export { copyCommand } from "./file-copy";
export { buildFileHandlers, type FileHandlers } from "./file-handlers";
export { FileService, type FileServiceDeps, toWireTransfer } from "./file-service";
export { FILE_DEFAULTS, type FileSettings } from "./file-settings";
export { sanitizeName } from "./file-names";
