export { AUTH_LABEL, authSigningInput } from "./auth";
export { type BinaryFrameEvent, binarySendOf, frameOfBinary } from "./binary-frame-text";
export {
  BINARY_FRAME_HEADER_BYTES,
  BINARY_FRAMES_FEATURE,
  BINARY_SEND_HEADER_BYTES,
  BINARY_SEND_ID_OFFSET,
  BINARY_SEND_TO_OFFSET,
  type BinaryFrame,
  type BinaryRefusal,
  type BinarySend,
  binarySendEnvelopeAt,
  binarySendQos,
  binarySendRef,
  decodeBinaryFrame,
  decodeBinarySend,
  DEVICE_ID_BYTES,
  encodeBinaryFrame,
  encodeBinarySend,
  FRAME_ID_BYTES,
  writeBinaryFrameHeader,
} from "./binary-frames";
export * from "./client-ops";
export { CloseCode, ERROR_CODES, ErrorCode, FATAL_CLOSE_CODES, type SendStatus } from "./codes";
export { type DecodeResult, decodeClientMessage, decodeRelayMessage, encodeMessage } from "./decode";
export {
  ENVELOPE_MAX_AGE_MS,
  ENVELOPE_MAX_SKEW_MS,
  PROTOCOL_DEFAULTS,
  SEEN_ID_MARGIN_MS,
  SEEN_ID_RETENTION_MS,
} from "./defaults";
export * from "./events";
export { CLIENT_OPS, EventName, GATEWAY_PATH, GATEWAY_VERSION, Op } from "./ops";
export * from "./primitives";
export { type AnnouncedLimits, DEFAULT_ANNOUNCED_LIMITS, helloLimits, relayLimitsSchema } from "./relay-limits";
