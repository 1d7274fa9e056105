# The Rack oracle for tests/conformance: reads one JSON string per line from the file ARGV[1]
# and prints one line per case: "OK <result>" or "ERR <class>: <message>".
#   parse: the string is a form body; the result is Rack::Utils.parse_nested_query as JSON
#   build: the string is a JSON document; the result is Rack::Utils.build_nested_query of it
require 'json'
require 'rack'

# JSON text the way hooktool writes it compactly: only '"', '\' and control characters escaped.
def canon(value, out)
  case value
  when Hash
    out << '{'
    value.each_with_index do |(k, v), i|
      out << ',' if i > 0
      string(k, out)
      out << ':'
      canon(v, out)
    end
    out << '}'
  when Array
    out << '['
    value.each_with_index do |v, i|
      out << ',' if i > 0
      canon(v, out)
    end
    out << ']'
  when String then string(value, out)
  when nil then out << 'null'
  when true then out << 'true'
  when false then out << 'false'
  else raise TypeError, "unexpected #{value.class}"
  end
end

ESCAPES = { '"' => '\\"', '\\' => '\\\\', "\b" => '\\b', "\f" => '\\f', "\n" => '\\n', "\r" => '\\r', "\t" => '\\t' }.freeze

def string(s, out)
  s = s.dup.force_encoding(Encoding::UTF_8)
  raise EncodingError, 'invalid UTF-8' unless s.valid_encoding?
  out << '"'
  out << s.gsub(/["\\\x00-\x1f]/) { |c| ESCAPES[c] || format('\\u%04x', c.ord) }
  out << '"'
end

mode, path = ARGV
File.foreach(path) do |line|
  input = JSON.parse(line)
  begin
    if mode == 'parse'
      out = +''
      canon(Rack::Utils.parse_nested_query(input.b), out)
      puts "OK #{out}"
    else
      form = Rack::Utils.build_nested_query(JSON.parse(input))
      puts "OK #{form}"
    end
  rescue StandardError => e
    puts "ERR #{e.class}: #{e.message.to_s.gsub(/[\r\n]/, ' ')}"
  end
end
