export * from './channels.ts';
export * from './daily.ts';
export * from './deliveries.ts';
export * from './members.ts';
export * from './pairing.ts';
export * from './points.ts';
export * from './study.ts';
export * from './teams.ts';
