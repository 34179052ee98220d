import { z } from "zod";

/** RPC error codes (docs/protocol.md section 11, plus the project's additions). */
export const RPC_ERROR_CODES = [
  "unknown_method",
  "bad_params",
  "forbidden",
  "not_found",
  "internal",
  "conflict",
  "rate_limited",
  "too_large",
] as const;
export type RpcErrorCode = (typeof RPC_ERROR_CODES)[number];

const callId = z.string().min(1).max(64);

export const rpcCallSchema = z.object({
  call: callId,
  method: z.string().min(1).max(64),
  params: z.unknown().optional(),
});
export const rpcResultSchema = z.object({ call: callId, result: z.unknown() });
export const rpcErrorSchema = z.object({
  call: callId,
  code: z.string().min(1).max(64),
  message: z.string().max(1000),
});

export type RpcCall = z.infer<typeof rpcCallSchema>;
export type RpcResult = z.infer<typeof rpcResultSchema>;
export type RpcErrorMessage = z.infer<typeof rpcErrorSchema>;

/** An RPC failure, on either side: thrown by handlers, raised to callers. */
export class RpcError extends Error {
  override name = "RpcError";
  constructor(
    readonly code: RpcErrorCode | (string & {}),
    message: string,
  ) {
    super(message);
  }
}
