import { createStore, type StoreApi } from "zustand/vanilla";
import { deviceRevokedSchema } from "@neural-link/shared/app";
import type { HubLink } from "../connection/hub-link";
import type { Pairing } from "../storage/pairings-store";
import { type ChatState, createChatStore } from "./chat-store";
import { createTasksStore, type TasksState } from "./tasks-store";
import { filesStoreFor } from "../files/files-store";
import { pendingDownloads } from "../files/pending-downloads";
import { pendingUploads } from "../files/pending-uploads";
import type { KeyValue } from "../storage/kv";
import { logFailure } from "@neural-link/ui/log";

/** Everything tied to the chosen desktop: its link and the stores fed by it. */
export interface Session {
  pairing: Pairing;
  link: HubLink;
  chat: StoreApi<ChatState>;
  tasks: StoreApi<TasksState>;
  /**
   * Set when the desktop has removed this phone (a `device.revoked` push): nothing more will work until it pairs again.
   */
  revoked: StoreApi<{ revoked: boolean }>;
  /** The hub terminal this phone last used, so that leaving the tab and coming back reattaches to it. */
  terminalId: string | null;
  dispose(): void;
}

/**
 * Wires a link to its stores: pushes go to the store that owns them, and
 * each time the link comes (back) online, or the desktop does, the lists are
 * refetched, since pushes sent while either was away may not all have arrived.
 */
export function createSession(pairing: Pairing, link: HubLink, myDevice: string, kv?: KeyValue): Session {
  const chat = createChatStore(link);
  // Uploads and downloads an earlier page left unfinished go on now, whichever screen is shown.
  if (kv) {
    const files = filesStoreFor(link, {
      pending: pendingUploads(kv),
      downloads: pendingDownloads(kv),
      hub: pairing.device,
    });
    files
      .getState()
      .resume()
      .catch(logFailure("unfinished transfers not resumed", { device: pairing.device }));
  }
  const revoked = createStore(() => ({ revoked: pairing.revoked === true }));
  const tasks = createTasksStore(link);
  let epoch = -1;
  let desktopOnline = false;
  const catchUp = () => {
    const status = link.status();
    // The desktop coming back (its hub restarted) is a reason too: tasks it ended while stopping, a new sandbox.
    const desktopBack = status.state === "online" && status.peerOnline && !desktopOnline;
    desktopOnline = status.state === "online" && status.peerOnline;
    if (status.state !== "online" || (status.epoch === epoch && !desktopBack)) return;
    epoch = status.epoch;
    void chat.getState().loadLatest();
    void tasks.getState().refresh();
    void tasks.getState().loadInfo();
  };
  const offPush = link.onPush((push) => {
    if (push.t === "device.revoked" && deviceRevokedSchema.safeParse(push.d).data?.device === myDevice)
      revoked.setState({ revoked: true });
    chat.getState().handlePush(push);
    tasks.getState().handlePush(push);
  });
  const offStatus = link.onStatus(catchUp);
  catchUp();
  return {
    pairing,
    link,
    chat,
    tasks,
    revoked,
    terminalId: null,
    dispose() {
      offPush();
      offStatus();
      link.close();
    },
  };
}
