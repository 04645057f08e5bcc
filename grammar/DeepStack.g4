// DeepStack.g4 - the grammar of .ds files.
//
// Declaration kinds (memory, chip, network, ...), field names, topology names
// and enum values are plain identifiers here: Sema checks them against the
// schema tables, so a misspelled kind gets a did-you-mean instead of a bare
// syntax error, and a field may share a name with a kind (`memory = stack3d`).
grammar DeepStack;

/// file := (import | declaration)* EOF
file        : topItem* EOF ;
topItem     : importDecl | declaration ;
importDecl  : 'import' STRING ';' ;

/// declaration := kind name (':' base)? ('over' target)? block
declaration : kind=IDENT name=IDENT (':' base=IDENT)? ('over' target=IDENT)? block ;

block       : '{' item* '}' ;

item
  : 'level' name=IDENT ('=' expr)? block? ';'?        # levelItem
  | path '=' expr (block ';'? | ';')                  # assignItem
  | IDENT block ';'?                                  # blockItem
  | path 'in' expr ';'                                # axisItem
  | 'require' expr ';'                                # requireItem
  | op=('maximize' | 'minimize') expr ';'             # objectiveItem
  | 'report' 'top' expr ';'                           # reportItem
  | 'pareto' expr (',' expr)* ';'                     # paretoItem
  | 'compare' path 'on' expr (',' expr)* ';'          # compareItem
  ;

path        : IDENT ('.' IDENT)* ;

/// Entry points for text outside files: `--set path=value` and schema defaults.
setting     : path '=' expr EOF ;
exprOnly    : expr EOF ;

/// Highest precedence first; all binary operators are left associative.
expr
  : op=('-' | '!') expr                                 # unaryExpr
  | expr op=('*' | '/' | '%') expr                    # mulExpr
  | expr op=('+' | '-') expr                          # addExpr
  | expr op=('<' | '<=' | '>' | '>=' | '==' | '!=') expr  # cmpExpr
  | expr op='&&' expr                                 # andExpr
  | expr op='||' expr                                 # orExpr
  | expr '..' expr                                    # rangeExpr
  | primary                                           # primaryExpr
  ;

primary
  : QUANTITY                                          # quantityLit
  | NUMBER                                            # numberLit
  | STRING                                            # stringLit
  | IDENT '(' (expr (',' expr)*)? ')'                 # callExpr
  | path                                              # pathExpr
  | '(' expr ')'                                      # parenExpr
  | '{' expr (',' expr)* ','? '}'                     # listExpr
  ;

// A number and its unit form one token, so `64 KiB / cores` divides a size by
// a count while `900 GB/s` is a bandwidth. The unit may not contain spaces.
// Logical operators are symbols (&&, ||, !) so that no word after a number
// can be mistaken for a unit.
// NUMBER comes first so that `1e300` is a number, not 1 with unit `e300`.
NUMBER      : NUM ;
QUANTITY    : NUM [ \t]* UNIT ;
fragment NUM  : [0-9]+ ('.' [0-9]+)? ([eE] [+-]? [0-9]+)? ;
fragment UNIT : UWORD ('/' UWORD)? ;
fragment UWORD : [a-zA-Z] [a-zA-Z0-9]* ;

STRING      : '"' (~["\\\r\n] | '\\' .)* '"' ;
IDENT       : [a-zA-Z_] [a-zA-Z_0-9]* ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n]+ -> skip ;
// Unterminated strings and comments get their own tokens (a closed one is
// longer and wins), so the pre-scan reports them by name.
UNTERMINATED_STRING  : '"' (~["\\\r\n] | '\\' .)* ;
UNTERMINATED_COMMENT : '/*' ;
// Anything else becomes one token the parser rejects with a located error.
UNKNOWN_CHAR  : . ;
