import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../functions/contacts/contact.js';
import { formatLine } from '../../../functions/contacts/format-line.js';

const contact: Contact = {
  line: 1,
  campaign: 'AutomationDialerPD<-',
  main: '999444444',
  variables: [
    ['state', 'KY'],
    ['variable2', 'val2'],
  ],
  alternates: ['H=0=999555555', 'W=0=999666666'],
  priority: '9999',
  agentphone: '',
  fieldCount: 6,
  changes: [],
};

describe('formatLine', () => {
  it('writes six fields with variables and alternates joined by colons', () => {
    expect(formatLine(contact)).toBe(
      'AutomationDialerPD<-;999444444;state=KY:variable2=val2;H=0=999555555:W=0=999666666;9999;',
    );
  });

  it('writes empty variables and alternates as empty fields', () => {
    expect(formatLine({ ...contact, variables: [], alternates: [], agentphone: '1001' })).toBe(
      'AutomationDialerPD<-;999444444;;;9999;1001',
    );
  });

  it('keeps a five-field line at five fields', () => {
    expect(
      formatLine({ ...contact, variables: [['Name', 'Ana']], alternates: [], fieldCount: 5 }),
    ).toBe('AutomationDialerPD<-;999444444;Name=Ana;;9999');
  });

  it('adds the sixth field when a five-field contact has an agentphone', () => {
    expect(
      formatLine({ ...contact, alternates: [], variables: [], fieldCount: 5, agentphone: '7' }),
    ).toBe('AutomationDialerPD<-;999444444;;;9999;7');
  });
});
