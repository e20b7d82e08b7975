# Shared by the bench scripts: `source bench/lib.sh` after setting $work.

# Prints "LABEL wall_s user_s sys_s max_rss_kB" for one run of a command (its output discarded).
measure() {  # label command...
  local label=$1; shift
  /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || { cat "$work/time.txt" >&2; exit 1; }
  local wall user sys rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time.txt")
  user=$(awk -F': ' '/User time/{print $2}' "$work/time.txt")
  sys=$(awk -F': ' '/System time/{print $2}' "$work/time.txt")
  rss=$(awk -F': ' '/Maximum resident/{print $2}' "$work/time.txt")
  echo "$label $wall $user $sys $rss"
}
# Bytes of every Data.db under a folder.
data_bytes() { find "$1" -name '*-Data.db' -printf '%s\n' | awk '{s+=$1} END {print s}'; }
# Bytes of every Data.db under a folder after decompression (CompressionInfo's data length, or the file size).
uncompressed() {
  local total=0 ci data n
  while IFS= read -r data; do
    ci=${data%-Data.db}-CompressionInfo.db
    if [ -f "$ci" ]; then
      n=$(python3 -c "import struct,sys;b=open(sys.argv[1],'rb').read();n=struct.unpack('>H',b[:2])[0];o=2+n;k=struct.unpack('>i',b[o:o+4])[0];o+=4
for _ in range(k):
  for _ in range(2): l=struct.unpack('>H',b[o:o+2])[0]; o+=2+l
v=sys.argv[1].split('/')[-1].split('-')[0];o+=4+(4 if len(v)==2 and v>='na' else 0);print(struct.unpack('>q',b[o:o+8])[0])" "$ci")
    else
      n=$(stat -c %s "$data")
    fi
    total=$((total + n))
  done < <(find "$1" -name '*-Data.db')
  echo "$total"
}
