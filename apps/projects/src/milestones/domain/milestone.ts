// Moved to @duban/milestones; kept while other apps still import it from here.
export * from '@duban/milestones';
