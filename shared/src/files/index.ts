/** Files both ways: the transfer logic both ends share (docs/protocol.md section 11, "Files"). No I/O. */
export { ChunkReceiver, type ChunkVerdict } from "./chunk-receiver";
export { ChunkSender, type ChunkSenderOptions, TransferCancelled } from "./chunk-sender";
export { downloadFile, type DownloadOptions } from "./download";
export {
  type CancelSignal,
  ChecksumMismatchError,
  type FilePort,
  type FileSource,
  TRANSFER_DEFAULTS,
  TransferEndedError,
  type TransferSettings,
} from "./file-port";
export { newXferId, uploadFile, type UploadOptions } from "./upload";
