import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import type { Browser, BrowserContext, CDPSession, Worker } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RelayHandle, startRelay } from "@neural-link/relay";
import { HubNode } from "../../desktop/src/hub/hub-node";
import { PUSH_DEFAULTS } from "../../desktop/src/hub/push/push-settings";
import { PushStandin, type StandinSubscriber } from "../../desktop/test/push-standin";
import { DIST_DIR, ensureAppBuilt } from "./build-app";
import { PHONE_VIEWPORT_LARGE } from "./chromium";
import { pairPhoneByCamera } from "./pair-phone";
import { PhonePage } from "./phone-page";

const WAIT = { timeout: 15_000 };

/**
 * Notifications on the phone (issue 13 part 1), through the real thing: the app in Chromium
 * (390x844, touch) served by a real relay, paired by camera with a real HubNode, which sends
 * real RFC 8030 POSTs to a push service stand-in on loopback (checks VAPID, decrypts).
 *
 * One browser call is replaced: `PushManager.subscribe`. Chromium's needs Google's push
 * service (FCM), which cannot be reached here; the replacement hands the app the stand-in's
 * subscription and records the VAPID key the app passed. Every decrypted payload is then
 * delivered to the app's real service worker with the DevTools Protocol
 * (`ServiceWorker.deliverPushMessage`), and what it shows is read back with
 * `registration.getNotifications()`. A notification cannot be clicked in headless Chromium,
 * so a click is a `notificationclick` event dispatched in the worker on the real notification
 * (an untrusted event: `clients.openWindow` is refused without a user's tap, so the test
 * opens the page a tap would open, and checks that it gets the tap's action from the worker;
 * and, with the app open, the worker's message path). Screenshots in artifacts/mobile/push-*.png.
 */
describe("phone: notifications", () => {
  const work = mkdtempSync(join(tmpdir(), "nlink-phone-push-"));
  const logger = pino({ level: "silent" });
  let standin: PushStandin;
  let sub: StandinSubscriber;
  let relay: RelayHandle;
  let hub: HubNode;
  let browser: Browser;
  let phone: PhonePage;
  let context: BrowserContext;
  let cdp: CDPSession;
  let origin: string;
  let vapidKey: string | undefined;
  const registrations: { registrationId: string; scopeURL: string }[] = [];

  beforeAll(async () => {
    // The app must carry this build's service worker (a dist built before it would not push).
    const sw = join(DIST_DIR, "sw.js");
    await ensureAppBuilt(existsSync(sw) && readFileSync(sw, "utf8").includes("nlink.ready") ? undefined : 0);
    standin = await PushStandin.start(() => vapidKey);
    relay = await startRelay({ port: 0, db: join(work, "relay-db"), appDir: DIST_DIR, logger });
    hub = await HubNode.start({
      dataDir: join(work, "hub"),
      relay: relay.url,
      name: "Push Desktop",
      approvals: "phone",
      log: logger,
      sandbox: { kind: "none", available: false, reason: "test" },
      executor: { terminalShell: "/bin/sh", defaultCwd: work },
      settings: {
        push: { ...PUSH_DEFAULTS, allowedHosts: [...PUSH_DEFAULTS.allowedHosts, "127.0.0.1"], agent: standin.agent },
      },
    });
    await hub.whenOnline();
    origin = `http://127.0.0.1:${relay.port}`;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await relay?.close();
    await standin?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const worker = async (): Promise<Worker> => {
    await expect.poll(() => context.serviceWorkers().length, WAIT).toBeGreaterThan(0);
    return context.serviceWorkers()[0]!;
  };
  /** The notifications the service worker shows now, as the page's registration reports them. */
  const shown = async (tag?: string) =>
    (await worker()).evaluate(async (t) => {
      const sw = globalThis as unknown as {
        registration: {
          getNotifications(o?: {
            tag?: string;
          }): Promise<{ title: string; body: string; tag: string; actions?: { action: string }[]; data: unknown }[]>;
        };
      };
      return (await sw.registration.getNotifications(t ? { tag: t } : {})).map((n) => ({
        title: n.title,
        body: n.body,
        tag: n.tag,
        actions: (n.actions ?? []).map((a) => a.action),
      }));
    }, tag);
  /** The app's windows the service worker counts as visible now. */
  const visibleWindows = async () =>
    (await worker()).evaluate(async () => {
      const sw = globalThis as unknown as {
        clients: { matchAll(o: object): Promise<{ visibilityState: string }[]> };
      };
      const open = await sw.clients.matchAll({ type: "window", includeUncontrolled: true });
      return open.filter((c) => c.visibilityState === "visible").length;
    });
  /** Hands one decrypted payload to the service worker as a push (DevTools Protocol). */
  const deliver = async (payload: Record<string, unknown>) => {
    const reg = registrations.find((r) => r.scopeURL === `${origin}/app/`);
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin,
      registrationId: reg!.registrationId,
      data: JSON.stringify(payload),
    });
  };
  /**
   * Delivers an approval's push again if its notification does not show. Under load, right after the app's page
   * closed, a push handed over by the DevTools Protocol was sometimes lost (about one run in six, while the worker
   * showed the two delivered after it and counted no visible window): the test is of the worker, not of that.
   */
  const deliverUntilShown = async (payload: Record<string, unknown>) => {
    const isIt = (n: { body: string }) => n.body.startsWith(`${String(payload.command)}\n`);
    for (let attempt = 1; ; attempt++) {
      await deliver(payload);
      const ok = await expect
        .poll(async () => (await shown()).some(isIt), { timeout: 5_000 })
        .toBe(true)
        .then(() => true)
        .catch(() => false);
      if (ok || attempt === 3) return;
    }
  };
  /** A tap on the notification with this tag (Approve when `action` says so), dispatched in the worker. */
  const click = async (tag: string, action: string) =>
    (await worker()).evaluate(
      async ([t, a]) => {
        const sw = globalThis as unknown as {
          registration: { getNotifications(o: { tag: string }): Promise<unknown[]> };
          dispatchEvent(e: unknown): boolean;
        };
        const [notification] = await sw.registration.getNotifications({ tag: t! });
        const NotificationEvent = (
          globalThis as unknown as {
            NotificationEvent: new (type: string, init: { notification: unknown; action: string }) => unknown;
          }
        ).NotificationEvent;
        sw.dispatchEvent(new NotificationEvent("notificationclick", { notification, action: a! }));
      },
      [tag, action],
    );
  const received = async (k: string, fits: (p: Record<string, unknown>) => boolean) => {
    await expect.poll(() => standin.payloads(sub).some((p) => p.k === k && fits(p)), WAIT).toBe(true);
    return standin.payloads(sub).find((p) => p.k === k && fits(p))!;
  };

  it("pairs at 390x844; turning notifications on asks for permission and registers the subscription with the desktop", async () => {
    ({ browser, phone } = await pairPhoneByCamera({
      hub,
      relayPort: relay.port,
      work,
      desktopName: "Push Desktop",
      viewport: PHONE_VIEWPORT_LARGE,
    }));
    context = phone.page.context();
    sub = standin.subscriber();
    await context.grantPermissions(["notifications"], { origin });
    await context.addInitScript(fakeSubscribe, sub.subscription);
    await phone.page.reload();
    await phone.waitStatus(/Connected to relay · Desktop online/);
    await phone.tab("Desktops").click();
    const panel = phone.page.getByTestId("notifications");
    await panel.getByRole("button", { name: "Turn on notifications" }).click();
    await expect.poll(() => panel.getByTestId("notifications-status").textContent(), WAIT).toMatch(/^On:/);
    vapidKey = await phone.page.evaluate(
      () =>
        (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem(
          "nlink-test-push-key",
        ) ?? undefined,
    );
    expect(vapidKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    const [device] = await hub.listDevices();
    expect(await hub.getPushSettings({ device: device!.id })).toEqual({
      subscribed: true,
      events: { approval: true, task: true, message: true },
    });
    await panel.getByLabel("A new message").uncheck();
    await expect.poll(async () => (await hub.getPushSettings({ device: device!.id })).events.message, WAIT).toBe(false);
    await panel.getByLabel("A new message").check();
    await expect.poll(async () => (await hub.getPushSettings({ device: device!.id })).events.message, WAIT).toBe(true);
    await panel.scrollIntoViewIfNeeded();
    await phone.shot("push-01-settings");
    // The worker's registration, for the DevTools Protocol.
    cdp = await context.newCDPSession(phone.page);
    cdp.on(
      "ServiceWorker.workerRegistrationUpdated",
      (e: { registrations: { registrationId: string; scopeURL: string }[] }) => registrations.push(...e.registrations),
    );
    await cdp.send("ServiceWorker.enable");
    await expect.poll(() => registrations.some((r) => r.scopeURL === `${origin}/app/`), WAIT).toBe(true);
  }, 120_000);

  it("approvals asked while the app is on screen are pushed once it is closed; the worker shows them with Approve and Reject", async () => {
    await phone.runCommand("touch ./approved-from-notification", work);
    await phone.task("touch ./approved-from-notification").getByRole("button", { name: "Approve once" }).waitFor(WAIT);
    await phone.runCommand("touch ./rejected-on-desktop", work);
    await phone.task("touch ./rejected-on-desktop").getByRole("button", { name: "Approve once" }).waitFor(WAIT);
    await phone.runCommand("touch ./approved-with-no-window", work);
    await phone.task("touch ./approved-with-no-window").getByRole("button", { name: "Approve once" }).waitFor(WAIT);
    expect(standin.payloads(sub).filter((p) => p.k === "approval")).toEqual([]);
    // A page of another origin keeps the DevTools session; the app itself goes away.
    const blank = await context.newPage();
    await blank.goto("about:blank");
    cdp = await context.newCDPSession(blank);
    cdp.on(
      "ServiceWorker.workerRegistrationUpdated",
      (e: { registrations: { registrationId: string; scopeURL: string }[] }) => registrations.push(...e.registrations),
    );
    await cdp.send("ServiceWorker.enable");
    await phone.page.close();
    // The worker shows nothing while a window of the app is visible; under load it may still list the closed page
    // for a moment, and a push delivered then is (rightly) not shown.
    await expect.poll(visibleWindows, WAIT).toBe(0);
    const approved = await received("approval", (p) => p.command === "touch ./approved-from-notification");
    const rejected = await received("approval", (p) => p.command === "touch ./rejected-on-desktop");
    expect(approved).toMatchObject({ full: true, asker: expect.any(String), hub_name: "Push Desktop" });
    await deliverUntilShown(approved);
    await deliverUntilShown(rejected);
    await deliverUntilShown(await received("approval", (p) => p.command === "touch ./approved-with-no-window"));
    await expect
      .poll(async () => (await shown()).map((n) => n.body.split("\n")[0]).sort(), WAIT)
      .toEqual([
        "touch ./approved-from-notification",
        "touch ./approved-with-no-window",
        "touch ./rejected-on-desktop",
      ]);
    const first = (await shown()).find((n) => n.body.startsWith("touch ./approved-from-notification"))!;
    expect(first).toMatchObject({ title: "Approval needed on Push Desktop", actions: ["approve", "reject"] });
    expect(first.body).toMatch(/Asked by .+ · (high|low) risk/);
  }, 60_000);

  it("a rejection on the desktop replaces the notification with 'Answered on Push Desktop'; a late copy of the question says so too", async () => {
    const question = standin
      .payloads(sub)
      .find((p) => p.k === "approval" && p.command === "touch ./rejected-on-desktop")!;
    const tag = (await shown()).find((n) => n.body.startsWith("touch ./rejected-on-desktop"))!.tag;
    await hub.approveTask({ task: String(question.task), approve: false });
    const answered = await received("answered", (p) => p.task === question.task);
    await deliver(answered);
    await expect.poll(async () => (await shown(tag)).map((n) => n.title), WAIT).toEqual(["Answered on Push Desktop"]);
    expect((await shown(tag))[0]).toMatchObject({ body: "Rejected: it will not run.", actions: [] });
    await deliver(question);
    await expect
      .poll(async () => (await shown(tag)).map((n) => [n.title, n.actions.length]), WAIT)
      .toEqual([["Answered on Push Desktop", 0]]);
  }, 60_000);

  it("Approve tapped with no window open: the app, once open, gets the action from the worker and approves", async () => {
    const question = standin
      .payloads(sub)
      .find((p) => p.k === "approval" && p.command === "touch ./approved-with-no-window")!;
    const tag = (await shown()).find((n) => n.body.startsWith("touch ./approved-with-no-window"))!.tag;
    await click(tag, "approve");
    // The worker keeps the action and opens the task's route. Headless, with no real tap, the
    // browser refuses clients.openWindow; the page a tap would open is opened here instead.
    const route = `${origin}/app/#task=${String(question.task)}&hub=${String(question.hub)}`;
    phone = new PhonePage(await context.newPage());
    await phone.page.goto(route);
    await expect.poll(async () => (await hub.getTask({ task: String(question.task) })).state, WAIT).toBe("done");
    expect(existsSync(join(work, "approved-with-no-window"))).toBe(true);
    await expect
      .poll(() => phone.task("touch ./approved-with-no-window").getAttribute("data-state"), WAIT)
      .toBe("done");
    await phone.page.close();
  }, 60_000);

  it("a tap opens the app at the task; Approve on the notification approves it through the app's link", async () => {
    const question = standin
      .payloads(sub)
      .find((p) => p.k === "approval" && p.command === "touch ./approved-from-notification")!;
    const tag = (await shown()).find((n) => n.body.startsWith("touch ./approved-from-notification"))!.tag;
    // What the worker opens after a tap when no window is open: the task's route.
    phone = new PhonePage(await context.newPage());
    await phone.page.goto(`${origin}/app/#task=${String(question.task)}&hub=${String(question.hub)}`);
    await phone.waitStatus(/Connected to relay · Desktop online/);
    const card = phone.task("touch ./approved-from-notification");
    await expect.poll(() => card.getAttribute("class"), WAIT).toMatch(/notified/);
    expect(await phone.tab("Tasks").getAttribute("aria-current")).toBe("page");
    await phone.shot("push-02-opened-at-task");
    // Approve, tapped on the notification: the worker hands it to the open app.
    await click(tag, "approve");
    await expect.poll(() => card.getAttribute("data-state"), WAIT).toMatch(/running|done/);
    await expect.poll(async () => (await hub.getTask({ task: String(question.task) })).state, WAIT).toBe("done");
    expect(existsSync(join(work, "approved-from-notification"))).toBe(true);
    expect(await shown(tag)).toEqual([]);
    await phone.shot("push-03-approved-from-notification");
  }, 60_000);

  it("while the app is visible the worker shows nothing, and closes what it showed of the same thing", async () => {
    const answered = standin.payloads(sub).find((p) => p.k === "answered")!;
    await deliver({
      ...answered,
      k: "message",
      message: "m-visible",
      conversation: "main",
      sender: "Push Desktop",
      text: "seen in the app",
    });
    await deliver(answered);
    await expect.poll(async () => (await shown()).length, WAIT).toBe(0);
    expect(phone.unexpectedErrors()).toEqual([]);
    expect(standin.refused).toEqual([]);
  }, 30_000);
});

/**
 * Runs in the page before the app: PushManager.subscribe without Google's push service.
 * It returns the stand-in's subscription and keeps the VAPID key the app passed (the
 * hub's `push.key`), for the stand-in to check every JWT against.
 */
function fakeSubscribe(subscription: { endpoint: string; keys: { p256dh: string; auth: string } }): void {
  const KEY = "nlink-test-push-key";
  const { localStorage, atob } = globalThis as unknown as {
    localStorage: {
      getItem(k: string): string | null;
      setItem(k: string, v: string): void;
      removeItem(k: string): void;
    };
    atob(s: string): string;
  };
  const bytes = (b64u: string) =>
    Uint8Array.from(atob(b64u.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)).buffer;
  const fake = (key: string) => ({
    endpoint: subscription.endpoint,
    options: { applicationServerKey: bytes(key), userVisibleOnly: true },
    toJSON: () => ({ endpoint: subscription.endpoint, expirationTime: null, keys: subscription.keys }),
    unsubscribe: async () => {
      localStorage.removeItem(KEY);
      return true;
    },
  });
  const proto = (globalThis as unknown as { PushManager: { prototype: Record<string, unknown> } }).PushManager
    .prototype;
  proto.subscribe = async (options: { applicationServerKey: string }) => {
    localStorage.setItem(KEY, options.applicationServerKey);
    return fake(options.applicationServerKey);
  };
  proto.getSubscription = async () => {
    const key = localStorage.getItem(KEY);
    return key ? fake(key) : null;
  };
}
