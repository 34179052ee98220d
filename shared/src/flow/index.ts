// Flow control that both ends share: pure, no timers, time injected.
export { type Clock, TokenBucket, type TokenBucketOptions } from "./token-bucket";
