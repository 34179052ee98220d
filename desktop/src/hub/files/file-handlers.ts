import type { MethodName, MethodResult, methods } from "@neural-link/shared/app";
import type { z } from "zod";
import type { FileService } from "./file-service";
import { toWireTransfer } from "./file-service";
import { asRpcError } from "./file-error";

type FileMethod = Extract<MethodName, `files.${string}`>;
type Caller = { device: string };
type Handlers = {
  [M in FileMethod]: (params: z.output<(typeof methods)[M]["params"]>, caller: Caller) => Promise<MethodResult<M>>;
};

const guard =
  <P, R>(fn: (p: P, caller: Caller) => Promise<R>) =>
  async (p: P, caller: Caller): Promise<R> => {
    try {
      return await fn(p, caller);
    } catch (err) {
      throw asRpcError(err);
    }
  };

/**
 * The hub's side of the `files.*` methods (capability `tasks`, checked by
 * RpcServer before these run). A device sees only its own transfers; a
 * transfer id of another device answers `not_found`.
 */
export function buildFileHandlers(files: FileService): Handlers {
  const pacing = async () => {
    const s = await files.settings();
    return { chunk_bytes: s.chunkBytes, window_bytes: s.windowBytes };
  };
  return {
    "files.put": guard(async (p: { xfer: string; name: string; size: number; dest?: string | undefined }, c) => {
      const { record, offset } = await files.uploads.put(c.device, p);
      // Chunks may come as bytes (docs/protocol.md section 11, "Files as bytes"); base64url still works.
      return { transfer: toWireTransfer(record, offset), offset, ...(await pacing()), bytes: true as const };
    }),
    "files.finish": guard(async (p: { xfer: string; sha256: string }, c) => ({
      transfer: toWireTransfer(await files.uploads.finish(c.device, p.xfer, p.sha256)),
    })),
    "files.cancel": guard(async (p: { xfer: string }, c) => ({
      transfer: toWireTransfer(await files.uploads.cancel(c.device, p.xfer)),
    })),
    "files.list": guard(async (p: { path?: string | undefined }) => files.list(p.path)),
    "files.get": guard(async (p: { xfer: string; path: string; bytes?: true | undefined }, c) => ({
      transfer: toWireTransfer(await files.downloads.get(c.device, p)),
      ...(await pacing()),
      ...(p.bytes ? { bytes: true as const } : {}),
    })),
    "files.transfers": guard(async (p: { limit?: number | undefined }, c) => ({
      transfers: await files.recent(c.device, p.limit),
    })),
  } satisfies Record<FileMethod, unknown> as unknown as Handlers;
}

export type FileHandlers = ReturnType<typeof buildFileHandlers>;
