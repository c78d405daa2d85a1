// The email field of both sign-in forms (local and Supabase magic link).
export function EmailField() {
  return (
    <div>
      <label htmlFor="email" className="block text-sm font-medium text-slate-800">
        Email
      </label>
      <input
        id="email"
        name="email"
        type="email"
        required
        autoComplete="email"
        placeholder="you@example.com"
        className="mt-1 block h-11 w-full rounded-lg border border-slate-300 bg-white px-3 text-base shadow-sm placeholder:text-slate-500 focus:border-brand-600"
      />
    </div>
  );
}
