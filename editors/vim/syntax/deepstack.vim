" Vim syntax file
" Language: DeepStack (.ds): AI hardware and LLM workload descriptions
" Grammar:  grammar/DeepStack.g4; fields and enum values: docs/fields.md

if exists("b:current_syntax")
  finish
endif

syn keyword deepstackImport   import
syn keyword deepstackKeyword  over in require maximize minimize report top pareto compare on
syn keyword deepstackTopology switch ring chain mesh torus full_mesh
syn keyword deepstackFunction min max ceil floor round abs sqrt log2 if pow2 divisors linspace
syn keyword deepstackBoolean  true false
syn keyword deepstackEnum     fp32 tf32 bf16 fp16 fp8 int8 int4 fp4 prefill decode both
syn keyword deepstackEnum     none layer tile all_bank per_bank simple detailed tsv hybrid_bond
syn keyword deepstackEnum     even nearest auto recursive_doubling halving_doubling rabenseifner
syn keyword deepstackEnum     double_binary_tree direct pairwise dimension_ordered hierarchical

" Fields: a path before '=', '{' or 'in' (memory = hbm3; timing { ... }).
syn match deepstackField "\<\h\w*\%(\.\h\w*\)*\ze\s*\%(=[^=]\|{\|in\>\)"
" Declaration kinds, unless used as a field (memory = hbm3; model.layers).
syn match deepstackKind "\.\@<!\<\%(memory\|chip\|network\|level\|system\|model\|workload\|schedule\|design\|sweep\)\>\%(\s*\%(=[^=]\|\.\)\)\@!" nextgroup=deepstackName skipwhite
syn match deepstackName "\h\w*" contained

" A number and its unit are one token: 900 GB/s, 1.2 TB/s, 5 pJ/bit, 1e300.
syn match deepstackNumber "\%(\w\|\.\)\@<!\d\+\%(\.\d\+\)\=\%([eE][-+]\=\d\+\)\=" nextgroup=deepstackUnit skipwhite
syn match deepstackUnit   "\a\w*\%(/\a\w*\)\=" contained

syn match deepstackOperator "&&\|||\|[=!<>]=\|[-+*/%<>!=]\|\.\."

syn region deepstackString start=+"+ skip=+\\.+ end=+"\|$+ contains=deepstackEscape
syn match  deepstackEscape +\\.+ contained
syn keyword deepstackTodo TODO FIXME XXX NOTE contained
syn match  deepstackLineComment "//.*$" contains=deepstackTodo
syn region deepstackBlockComment start="/\*" end="\*/" contains=deepstackTodo

hi def link deepstackImport       Include
hi def link deepstackKind         Structure
hi def link deepstackKeyword      Keyword
hi def link deepstackTopology     Function
hi def link deepstackFunction     Function
hi def link deepstackBoolean      Boolean
hi def link deepstackEnum         Constant
hi def link deepstackName         Type
hi def link deepstackField        Identifier
hi def link deepstackNumber       Number
hi def link deepstackUnit         Type
hi def link deepstackOperator     Operator
hi def link deepstackString       String
hi def link deepstackEscape       SpecialChar
hi def link deepstackTodo         Todo
hi def link deepstackLineComment  Comment
hi def link deepstackBlockComment Comment

let b:current_syntax = "deepstack"
