// Binary request fields travel as Base64 text (the typed API is plain JSON); the schemas already
// checked the alphabet, so this only decodes.
export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
