export { b64uDecode, b64uEncode, isB64u } from "./b64u";
export { concatBytes, jsonStringBytes, label, utf8Decode, utf8Encode, utf8Length } from "./bytes";
export { EncodingError } from "./errors";
