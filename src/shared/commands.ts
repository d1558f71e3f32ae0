// Every command id of the extension, in one table: registration, executeCommand, code actions, the status
// bar and notifications name commands only through it. test/unit/commands.test.ts holds it against
// package.json (contributed commands, menus, keybindings, walkthrough links).

export const COMMANDS = {
  generateFromSelection: 'fluxStudio.generateFromSelection',
  generate: 'fluxStudio.generate',
  generateWithReference: 'fluxStudio.generateWithReference',
  setApiKey: 'fluxStudio.setApiKey',
  clearApiKey: 'fluxStudio.clearApiKey',
  showJobs: 'fluxStudio.showJobs',
  openGallery: 'fluxStudio.openGallery',
  importFromAccount: 'fluxStudio.importFromAccount',
  rerunFromImage: 'fluxStudio.rerunFromImage',
  varyFromImage: 'fluxStudio.varyFromImage',
  copyImage: 'fluxStudio.copyImage',
  generateMissingImages: 'fluxStudio.generateMissingImages',
  illustrateDocument: 'fluxStudio.illustrateDocument',
  generateMissingImage: 'fluxStudio.generateMissingImage',
  insertIntoWorkspace: 'fluxStudio.insertIntoWorkspace',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/**
 * Commands only the extension itself runs, with arguments a person could not give: the missing-image quick
 * fix (a document and an offset), the "Image ready" notification's Insert (an entry id) and the image hover's
 * Vary (the hovered file). Registered, not contributed, so they never show in the Command Palette.
 */
export const INTERNAL_COMMANDS: readonly CommandId[] = [COMMANDS.generateMissingImage, COMMANDS.insertIntoWorkspace, COMMANDS.varyFromImage];
