import { contextBridge, ipcRenderer } from "electron";
import { createPreloadHub } from "./preload-api";

// The renderer is sandboxed with context isolation: this object is all it gets.
contextBridge.exposeInMainWorld("hub", createPreloadHub(ipcRenderer));
