package sqlite

// OlderPlan exposes olderPlan, the error of OpenReadOnly for a plan of an
// older schema version than the current one: while SchemaVersion is 1, no
// such file can be made to test it through OpenReadOnly.
var OlderPlan = olderPlan
