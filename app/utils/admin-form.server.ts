/**
 * An admin page's form, read once for every action: a body that is not a form, a file where the page posts text, or
 * text holding a NUL character (PostgreSQL's text cannot store one, so the save would fail half-way as a 500) is
 * refused here with a 400 that names the field, before any model sees it. The pages never post any of these; a
 * pasted NUL or a hand-made request does.
 */
export async function readAdminForm(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw refuse("This request is not a form: post the page's form again");
  }
  for (const [name, value] of form.entries()) {
    if (typeof value !== "string") throw refuse(`“${shown(name)}” must be text, not a file`);
    if (value.includes("\u0000")) throw refuse(`“${shown(name)}” holds a NUL character, which cannot be saved: remove it and try again`);
  }
  return form;
}

const refuse = (message: string) =>
  new Response(message, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/** A field name fit for a message: a fuzzer's or attacker's names can be long or hold the NUL themselves. */
const shown = (name: string) => name.replaceAll("\u0000", "�").slice(0, 60);
