/** Files both ways (docs/hub.md, "Files"): landing folder uploads, read-rule downloads, their RPC handlers. */
export { FileError } from "./file-error";
export { buildFileHandlers } from "./file-handlers";
export { FileService, type FileServiceDeps, toWireTransfer } from "./file-service";
export { FILE_DEFAULTS, type FileSettings } from "./file-settings";
export { sanitizeName } from "./file-names";
