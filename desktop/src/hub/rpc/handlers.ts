import { PAGE_LIMIT_DEFAULT, RpcError, type Task } from "@neural-link/shared/app";
import type { RpcCaller, RpcHandlers } from "@neural-link/shared/client";
import type { DeviceService } from "../devices/device-service";
import type { MessageService } from "../messages/message-service";
import type { TaskService } from "../tasks/task-service";
import { commandDigest } from "../tasks/approvals";
import type { TerminalService } from "../terminals/terminal-service";
import { toRpcError } from "./rpc-errors";

export interface HandlerDeps {
  info(): { device: string; name: string; version: string };
  devices: DeviceService;
  messages: MessageService;
  tasks: TaskService;
  terminals: TerminalService;
}

/** Tasks read per store query while collecting one device's page. */
const TASK_SCAN_PAGE = 200;

type Handler = (params: never, caller: RpcCaller) => Promise<unknown>;

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
export function buildHandlers(deps: HandlerDeps): RpcHandlers {
  const ownTask = async (id: string, caller: RpcCaller) => {
    const task = await deps.tasks.get(id);
    // Another device's task looks exactly like a missing one.
    if (task.requestedBy !== caller.device) throw new RpcError("not_found", `no task ${id}`);
    return task;
  };
  const handlers: RpcHandlers = {
    "hub.info": async (_p, caller) => ({ ...deps.info(), caps: [...caller.caps] }),
    "messages.send": async (p, caller) => ({ message: await deps.messages.send(caller.device, p.text, p.conversation) }),
    "messages.list": async (p) => ({ messages: await deps.messages.listById(p) }),
    "messages.search": async (p) => ({ messages: await deps.messages.search(p.query, p.limit) }),
    "tasks.run": async (p, caller) => {
      const task = await deps.tasks.run({ command: p.command, requestedBy: caller.device, ...(p.cwd ? { cwd: p.cwd } : {}), ...(p.timeout_ms ? { timeoutMs: p.timeout_ms } : {}) });
      return { task: deps.tasks.toWire(task) };
    },
    "tasks.approve": async (p, caller) => {
      await ownTask(p.task, caller);
      const task = await deps.tasks.approve({ task: p.task, approve: p.approve, by: caller.device, ...(p.command !== undefined ? { digest: commandDigest(p.command) } : {}) });
      return { task: deps.tasks.toWire(task) };
    },
    "tasks.get": async (p, caller) => ({ task: deps.tasks.toWire(await ownTask(p.task, caller)) }),
    "tasks.list": async (p, caller) => {
      // The store pages all tasks; walk it until this device's page is full.
      const limit = p.limit ?? PAGE_LIMIT_DEFAULT;
      const mine: Task[] = [];
      let before = p.before;
      for (;;) {
        const page = await deps.tasks.list({ limit: TASK_SCAN_PAGE, ...(before ? { before } : {}) });
        for (const t of page) if (t.requestedBy === caller.device && mine.length < limit) mine.push(deps.tasks.toWire(t));
        if (mine.length >= limit || page.length === 0) return { tasks: mine };
        before = page[page.length - 1]!.id;
      }
    },
    "term.open": async (p, caller) => {
      const { id, seq } = await deps.terminals.open(caller.device, p);
      return { term: id, seq };
    },
    "term.input": async (p, caller) => {
      await deps.terminals.input(caller.device, p.term, p.data);
      return {};
    },
    "term.resize": async (p, caller) => {
      await deps.terminals.resize(caller.device, p.term, p.cols, p.rows);
      return {};
    },
    "term.close": async (p, caller) => {
      await deps.terminals.close(caller.device, p.term);
      return {};
    },
    "term.snapshot": async (p, caller) => {
      const s = deps.terminals.snapshot(caller.device, p.term);
      return { term: s.id, seq: s.seq, data: s.data, open: s.open };
    },
    "term.list": async (_p, caller) => ({
      terms: deps.terminals.list(caller.device).map((t) => ({ term: t.id, open: !t.exited, cols: t.cols, rows: t.rows })),
    }),
  };
  return guarded(handlers as unknown as Record<string, Handler>) as unknown as RpcHandlers;
}
