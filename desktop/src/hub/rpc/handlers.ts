import { PAGE_LIMIT_DEFAULT, pageBySize, resultBudget, RpcError, type SandboxInfo } from "@neural-link/shared/app";
import type { RpcHandlers } from "@neural-link/shared/client";
import type { DeviceService } from "../devices/device-service";
import type { FavoritesService } from "../favorites/favorites-service";
import type { MessageService } from "../messages/message-service";
import type { TaskRecord } from "../tasks/ports";
import type { TaskService } from "../tasks/task-service";
import { commandDigest } from "../tasks/approvals";
import type { TerminalService } from "../terminals/terminal-service";
import { favoritesHandlers } from "./favorites-handlers";
import type { FileHandlers } from "../files/file-handlers";
import type { PushHandlers } from "../push/push-handlers";
import { toRpcError } from "./rpc-errors";
import { refuseStale, type HubCaller } from "./stale-requests";

export type { HubCaller };

export interface HandlerDeps {
  info(): { device: string; name: string; version: string; sandbox?: SandboxInfo };
  devices: DeviceService;
  messages: MessageService;
  tasks: TaskService;
  terminals: TerminalService;
  /** Saved commands and history (favorites.*, history.*). */
  favorites: FavoritesService;
  /** Files both ways (files.*; files/file-handlers.ts). */
  files: FileHandlers;
  /** Web Push settings of the calling device (push.*; push/push-handlers.ts). */
  push: PushHandlers;
  /** A `tasks.run`/`tasks.approve` envelope older than this when it arrives is refused (`stale`), ms. */
  staleRequestMs: number;
  now?: () => number;
  /** Most bytes of one result: list answers are cut to fit it, with `more`/`next` (docs/protocol.md section 11). */
  resultBudget?: () => number;
}

/** Tasks read per store query while collecting one device's page. */
const TASK_SCAN_PAGE = 200;

type Handler = (params: never, caller: HubCaller) => Promise<unknown>;

/** Every boundary error becomes an RpcError the phone may see; the rest stays `internal`. */
function guarded<H extends Record<string, Handler>>(handlers: H): H {
  const out: Record<string, Handler> = {};
  for (const [name, fn] of Object.entries(handlers)) {
    out[name] = async (params, caller) => {
      try {
        return await fn(params, caller);
      } catch (err) {
        throw toRpcError(err);
      }
    };
  }
  return out as H;
}

/**
 * The hub's side of every method in shared's registry. Params arrive
 * validated and the capability already checked (RpcServer); what is left is
 * ownership: a device sees only its own tasks and terminals.
 */
export function buildHandlers(deps: HandlerDeps): RpcHandlers<HubCaller> {
  const now = deps.now ?? Date.now;
  const budget = deps.resultBudget ?? (() => resultBudget());
  /** A list page cut to the frame limit, with `more` and the `before` cursor to continue from. */
  const sized = <T extends { id: string }>(items: T[]) => {
    const page = pageBySize(items, budget());
    return { items: page.items, ...(page.more ? { more: true as const, next: page.next } : {}) };
  };
  const fresh = (caller: HubCaller) => refuseStale(caller, now(), deps.staleRequestMs);
  const ownTask = async (id: string, caller: HubCaller) => {
    const task = await deps.tasks.get(id);
    // Another device's task looks exactly like a missing one.
    if (task.requestedBy !== caller.device) throw new RpcError("not_found", `no task ${id}`);
    return task;
  };
  /** A terminal id that is not open: say why, when it is a terminal request of this device. */
  const termCall = async <T>(caller: HubCaller, term: string, fn: () => T | Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      // If the lookup fails too, the call's own error is the answer.
      const pending = await deps.tasks.terminalTask(term).catch((): never => {
        throw err;
      });
      if (!pending || pending.requestedBy !== caller.device) throw err;
      if (pending.state === "awaiting_approval")
        throw new RpcError("conflict", "this terminal is waiting for approval; it opens once approved");
      if (pending.state === "rejected")
        throw new RpcError("conflict", `this terminal was not opened (${pending.endReason ?? "rejected"})`);
      throw err;
    }
  };
  const handlers: RpcHandlers<HubCaller> = {
    ...favoritesHandlers(deps.favorites, budget),
    ...deps.files,
    ...deps.push,
    "hub.info": async (_p, caller) => ({ ...deps.info(), caps: [...caller.caps], sandbox: deps.tasks.sandbox }),
    "messages.send": async (p, caller) => ({
      message: await deps.messages.send(caller.device, p.text, p.conversation),
    }),
    // A device reads only what it may see: from its pairing on, plus its own (MessageService.viewerOf).
    "messages.list": async (p, caller) => {
      const { items, ...more } = sized(await deps.messages.listById(p, caller.device));
      return { messages: items, ...more };
    },
    "messages.search": async (p, caller) => {
      const { items, more } = sized(await deps.messages.search(p.query, p.limit, caller.device));
      return { messages: items, ...(more ? { more } : {}) };
    },
    "tasks.run": async (p, caller) => {
      fresh(caller);
      const task = await deps.tasks.run({
        command: p.command,
        requestedBy: caller.device,
        ...(p.cwd ? { cwd: p.cwd } : {}),
        ...(p.timeout_ms ? { timeoutMs: p.timeout_ms } : {}),
      });
      return { task: await deps.tasks.wire(task) };
    },
    "tasks.approve": async (p, caller) => {
      fresh(caller);
      await ownTask(p.task, caller);
      const task = await deps.tasks.approve({
        task: p.task,
        approve: p.approve,
        by: caller.device,
        ...(p.command !== undefined ? { digest: commandDigest(p.command) } : {}),
        ...(p.remember !== undefined ? { remember: p.remember } : {}),
      });
      return { task: await deps.tasks.wire(task) };
    },
    "tasks.escalate": async (p, caller) => {
      await ownTask(p.task, caller);
      return { task: await deps.tasks.wire(await deps.tasks.escalate({ task: p.task, by: caller.device })) };
    },
    "tasks.cancel": async (p, caller) => {
      await ownTask(p.task, caller);
      return { task: await deps.tasks.wire(await deps.tasks.cancel({ task: p.task, by: caller.device })) };
    },
    "tasks.get": async (p, caller) => ({ task: await deps.tasks.wire(await ownTask(p.task, caller)) }),
    "tasks.list": async (p, caller) => {
      // The store pages all tasks; walk it until this device's page is full.
      const limit = p.limit ?? PAGE_LIMIT_DEFAULT;
      const mine: TaskRecord[] = [];
      let before = p.before;
      for (;;) {
        const page = await deps.tasks.list({ limit: TASK_SCAN_PAGE, ...(before ? { before } : {}) });
        for (const t of page) if (t.requestedBy === caller.device && mine.length < limit) mine.push(t);
        // Device names are looked up once for the whole page, not per task.
        if (mine.length >= limit || page.length === 0) {
          const { items, ...more } = sized(await deps.tasks.wireAll(mine));
          return { tasks: items, ...more };
        }
        before = page[page.length - 1]!.id;
      }
    },
    "term.open": async (p, caller) => {
      // A terminal is full access: it opens only once approved, like a high-risk task (docs/protocol.md section 11).
      const task = await deps.tasks.requestTerminal({
        requestedBy: caller.device,
        cols: p.cols,
        rows: p.rows,
        ...(p.cwd ? { cwd: p.cwd } : {}),
      });
      const wire = await deps.tasks.wire(task);
      return {
        term: task.term!,
        seq: 0,
        state: task.state === "rejected" ? "rejected" : "awaiting_approval",
        task: wire,
      };
    },
    "term.input": async (p, caller) => {
      await termCall(caller, p.term, () => deps.terminals.input(caller.device, p.term, p.data));
      return {};
    },
    "term.resize": async (p, caller) => {
      const now = await termCall(caller, p.term, () =>
        deps.terminals.resize(caller.device, p.term, p.cols, p.rows, p.claim === true),
      );
      return now ? { cols: now.cols, rows: now.rows, by: now.by } : {};
    },
    "term.close": async (p, caller) => {
      try {
        await deps.terminals.close(caller.device, p.term);
      } catch (err) {
        // Closing a terminal still awaiting approval withdraws the request (as tasks.cancel would).
        const pending = await deps.tasks.terminalTask(p.term).catch((): never => {
          throw err;
        });
        if (pending?.requestedBy !== caller.device || pending.state !== "awaiting_approval") throw err;
        await deps.tasks.cancel({ task: pending.id, by: caller.device });
      }
      return {};
    },
    "term.snapshot": async (p, caller) => {
      const s = await termCall(caller, p.term, () =>
        deps.terminals.snapshot(caller.device, p.term, { bytes: p.bytes === true }),
      );
      const size = deps.terminals.size(p.term);
      return {
        term: s.id,
        seq: s.seq,
        data: s.data,
        open: s.open,
        ...(s.flow ? { flow: s.flow } : {}),
        ...(s.bytes ? { bytes: true } : {}),
        ...(size ? { cols: size.cols, rows: size.rows, by: size.by } : {}),
      };
    },
    "term.list": async (_p, caller) => ({
      // `command`: what runs in its foreground now, so a phone can tell its shells apart ("vim", "sleep", "bash").
      terms: deps.terminals.list(caller.device).map((t) => {
        const command = t.exited ? null : deps.terminals.foreground(t.id);
        const size = deps.terminals.size(t.id);
        return {
          term: t.id,
          open: !t.exited,
          cols: t.cols,
          rows: t.rows,
          ...(command ? { command } : {}),
          ...(size ? { by: size.by } : {}),
        };
      }),
    }),
  };
  return guarded(handlers as unknown as Record<string, Handler>) as unknown as RpcHandlers<HubCaller>;
}
