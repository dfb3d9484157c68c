# Anju: build, run, test, bench, fuzz. Every library through pkg-config.
# `make` installs what is missing (scripts/deps.sh), builds build/anju and web/dist.

PKGS    := libmicrohttpd jansson sqlite3 libpq libsodium libical libmagic xlsxwriter libcurl libcrypto pwquality libqrencode cairo pangocairo
CC      ?= cc
CSTD    := -std=c17 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion -Werror
CFLAGS  ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
INC     := -Isrc -Ibuild/gen
LIBS     = $(PKG_LIBS) -lpthread -lm

# Every source under src/ but main.c, found recursively (context folders).
SRC     := $(filter-out src/main.c,$(shell find src -name '*.c' | sort))
GEN     := build/gen/schema.c build/gen/openapi.c build/gen/holidays.c
OBJ     := $(patsubst src/%.c,build/obj/%.o,$(SRC)) $(patsubst build/gen/%.c,build/obj/gen/%.o,$(GEN))
ASAN_OBJ := $(patsubst build/obj/%,build/asan/obj/%,$(OBJ))
SCHEMA  := $(wildcard src/db/schema/*/*.sql)
UNIT_SRC := $(shell find tests/unit -name '*.c' | sort)
UNIT_HDRS := $(shell find src tests/unit -name '*.h')
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

WEB_SRC := $(shell find web/src web/index.html web/vite.config.js web/package.json -type f 2>/dev/null)

.PHONY: all deps server web run test unit bench fuzz clean asan

all: deps server web

deps:
	@bash scripts/deps.sh

server: build/anju

build/anju: $(OBJ) build/obj/main.o
	@echo "  LD  $@"
	@$(CC) -o $@ $^ $(LIBS)

# -MMD: each object depends on the headers it includes (build/**/*.d).
build/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CSTD) $(WARN) $(CFLAGS) -MMD -MP $(INC) $(PKG_CFLAGS) -c -o $@ $<

build/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@$(CC) $(CSTD) $(CFLAGS) -MMD -MP $(INC) -c -o $@ $<

build/gen/schema.c: $(SCHEMA) scripts/gen_schema.sh
	@mkdir -p $(dir $@)
	bash scripts/gen_schema.sh $@

build/gen/holidays.c: web/node_modules/chinese-days/dist/chinese-days.json scripts/gen_holidays.py
	@mkdir -p $(dir $@)
	python3 scripts/gen_holidays.py $< $@

OPENAPI_PARTS := $(wildcard docs/openapi/*.json)

build/gen/openapi.json: docs/openapi.json $(OPENAPI_PARTS) scripts/openapi_merge.py
	@mkdir -p $(dir $@)
	python3 scripts/openapi_merge.py $@ docs/openapi.json $(OPENAPI_PARTS)

build/gen/openapi.c: build/gen/openapi.json scripts/embed.sh
	bash scripts/embed.sh $@ openapi_json build/gen/openapi.json

# The sanitizer build: the same sources under AddressSanitizer and UBSan.
asan: build/asan/anju build/asan/unit_tests

build/asan/anju: $(ASAN_OBJ) build/asan/obj/main.o
	@echo "  LD  $@"
	@$(CC) $(ASAN_FLAGS) -o $@ $^ $(LIBS)

build/asan/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC  $< (asan)"
	@$(CC) $(CSTD) $(WARN) $(ASAN_FLAGS) -MMD -MP $(INC) $(PKG_CFLAGS) -c -o $@ $<

build/asan/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@$(CC) $(CSTD) $(ASAN_FLAGS) -MMD -MP $(INC) -c -o $@ $<

# Unit tests (Criterion): every source but main.c, plus tests/unit.
build/unit_tests: $(OBJ) $(UNIT_SRC) $(UNIT_HDRS)
	@echo "  LD  $@"
	@$(CC) $(CSTD) $(CFLAGS) $(INC) -Itests/unit $(PKG_CFLAGS) -o $@ $(UNIT_SRC) $(OBJ) $(LIBS) -lcriterion

build/asan/unit_tests: $(ASAN_OBJ) $(UNIT_SRC) $(UNIT_HDRS)
	@echo "  LD  $@"
	@$(CC) $(CSTD) $(ASAN_FLAGS) $(INC) -Itests/unit $(PKG_CFLAGS) -o $@ $(UNIT_SRC) $(ASAN_OBJ) $(LIBS) -lcriterion

unit: build/unit_tests
	build/unit_tests

web: web/dist/index.html

web/dist/index.html: $(WEB_SRC) web/package-lock.json
	cd web && npm run build --silent
	@touch $@

run: all
	@bash scripts/run.sh

test: all build/unit_tests asan
	@bash scripts/test.sh

bench: all
	@bash bench/run.sh

fuzz: all
	@FUZZ_SECONDS=60 bash fuzz/run.sh

clean:
	rm -rf build web/dist

-include $(shell find build -name '*.d' 2>/dev/null)
