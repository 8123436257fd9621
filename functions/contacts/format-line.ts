import type { Contact } from './contact.js';

/**
 * Writes a contact as a uContact base line, without the line break:
 * `campaign;main;n1=v1:n2=v2;alt1:alt2;priority;agentphone`. A five-field native line stays five
 * fields (unless it gained an agentphone); everything else gets six. It trusts its input: only
 * contacts returned by `validateContact` are free of reserved characters. Never throws.
 */
export function formatLine(contact: Contact): string {
  let variables = '';
  const pairs = contact.variables;
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!;
    variables += i === 0 ? pair[0] + '=' + pair[1] : ':' + pair[0] + '=' + pair[1];
  }
  const alternates = contact.alternates;
  const alternatesText =
    alternates.length === 0 ? '' : alternates.length === 1 ? alternates[0]! : alternates.join(':');
  const line =
    contact.campaign +
    ';' +
    contact.main +
    ';' +
    variables +
    ';' +
    alternatesText +
    ';' +
    contact.priority;
  return contact.fieldCount === 5 && contact.agentphone === ''
    ? line
    : line + ';' + contact.agentphone;
}
