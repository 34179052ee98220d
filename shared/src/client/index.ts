export { backoffDelay } from "./backoff";
export { Emitter, type Unsubscribe } from "./emitter";
export {
  type DropReason,
  Endpoint,
  type EndpointEvents,
  type EndpointOptions,
  type IncomingMessage,
  MAX_HANDLE_ATTEMPTS,
  type MessageHandler,
} from "./endpoint";
export { type FrameLimits, bodyBytes, frameOverLimit, sendMessageBytes } from "./frame-size";
export { FrameTooLargeError, GatewayReplyError, GatewayUnavailableError } from "./errors";
export { type OutgoingFrame, type SendOutcome } from "./frame-sender";
export {
  GatewayClient,
  type GatewayClientOptions,
  type GatewayEvents,
  type GatewayState,
  type GatewayStatus,
  RELAY_MISMATCH_CLOSE,
} from "./gateway-client";
export { type ClientLog, silentLog } from "./log";
export { MemoryOutbox, type OutboxFrame, type OutboxStore } from "./outbox";
export { PeerKeys } from "./peer-keys";
export { paceFor, sizeLimitsFor } from "./relay-pace";
export { RPC_CLIENT_DEFAULTS, RpcClient, type RpcClientSettings } from "./rpc-client";
export { type RpcAnswer, type RpcCaller, type RpcHandlers, RpcServer } from "./rpc-server";
export { GATEWAY_CLIENT_DEFAULTS, type GatewayClientSettings } from "./settings";
export {
  type SocketFactory,
  type SocketHandlers,
  type SocketLike,
  type StandardWebSocket,
  standardSocketFactory,
} from "./socket";
export { type WritePacerSettings } from "./write-pacer";
