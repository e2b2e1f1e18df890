// A module-resolution hook (https://nodejs.org/docs/latest-v20.x/api/module.html#customization-hooks):
// the bare specifier `electron` resolves to the stand-in; everything else resolves as usual.
interface ResolveResult { url: string; shortCircuit?: boolean; format?: string | null }
type NextResolve = (specifier: string, context: unknown) => Promise<ResolveResult>;

export async function resolve(specifier: string, context: unknown, next: NextResolve): Promise<ResolveResult> {
  if (specifier === 'electron') return { url: new URL('./electron.js', import.meta.url).href, shortCircuit: true };
  return next(specifier, context);
}
